from . import test_common
from . import test_backorder
from . import test_substitution
from . import test_short_pick
from . import test_multi_warehouse
from . import test_dashboard
from . import test_performance
