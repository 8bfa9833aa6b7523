from . import test_common
from . import test_exception_queue
from . import test_mixin
from . import test_sod
from . import test_escalation
from . import test_performance
from . import test_dashboard
from . import test_dashboard_tour
