from . import o2c_freight_policy
from . import purchase_order
