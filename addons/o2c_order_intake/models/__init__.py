from . import sale_order
from . import o2c_order_import
