from . import o2c_exception_decision_wizard
from . import o2c_review_create_wizard
from . import o2c_advisor_report
from . import o2c_advisor_report_line
from . import o2c_advisor_report_proposal
from . import o2c_advisor_whatif
from . import o2c_review_proposal_decision_wizard
