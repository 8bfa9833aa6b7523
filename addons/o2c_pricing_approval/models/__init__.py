from . import o2c_pricing_policy
from . import o2c_pricing_policy_tier
from . import sale_order_line
from . import sale_order
from . import o2c_dashboard
from . import o2c_advisor
