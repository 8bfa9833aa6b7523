from . import test_common
from . import test_credit_control_run
from . import test_pending_lines
from . import test_performance
