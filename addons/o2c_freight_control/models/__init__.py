from . import delivery_carrier
from . import o2c_freight_policy
from . import sale_order
from . import stock_picking
