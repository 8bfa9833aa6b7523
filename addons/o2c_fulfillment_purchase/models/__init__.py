from . import o2c_fulfillment_planner
from . import purchase_order_line
