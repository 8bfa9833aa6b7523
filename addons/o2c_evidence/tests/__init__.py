from . import test_common
from . import test_evidence_pack
from . import test_evidence_zip
from . import test_customer_agreement
from . import test_evidence_tour
