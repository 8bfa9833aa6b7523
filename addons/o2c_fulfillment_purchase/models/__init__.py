from . import o2c_fulfillment_planner
