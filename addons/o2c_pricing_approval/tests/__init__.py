from . import test_common
from . import test_pricing_rules
from . import test_tiers
from . import test_pricelist_override
from . import test_approval_flow
from . import test_policy
from . import test_performance
from . import test_dashboard
