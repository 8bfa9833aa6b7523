from . import o2c_exception_type
from . import o2c_exception_approval
from . import o2c_exception
from . import o2c_exception_mixin
from . import sale_order
from . import stock_picking
from . import account_move
from . import o2c_dashboard
