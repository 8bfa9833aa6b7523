from . import test_common
from . import test_exposure
from . import test_policy
from . import test_release
from . import test_auto_release
from . import test_multi_company
from . import test_dashboard
from . import test_performance
