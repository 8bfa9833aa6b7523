from . import o2c_customer_agreement
from . import res_partner
from . import sale_order
from . import account_move
from . import helpdesk_ticket
from . import report_evidence_pack
