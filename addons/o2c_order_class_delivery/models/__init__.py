from . import o2c_order_class
from . import sale_order
from . import sale_order_line
