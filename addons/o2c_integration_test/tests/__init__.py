from . import test_attack_core
from . import test_context_keys
from . import test_attack_release
from . import test_attack_credit
from . import test_attack_pricing
from . import test_attack_concurrency
from . import test_attack_dispute
