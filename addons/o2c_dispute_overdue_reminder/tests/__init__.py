from . import test_common
from . import test_overdue_reminder
from . import test_performance
