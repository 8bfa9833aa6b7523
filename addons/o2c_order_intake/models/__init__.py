from . import o2c_order_import
