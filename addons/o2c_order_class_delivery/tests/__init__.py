from . import test_order_class_carrier
