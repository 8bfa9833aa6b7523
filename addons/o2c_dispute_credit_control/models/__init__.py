from . import account_move
from . import account_move_line
from . import credit_control_line
from . import credit_control_run
from . import helpdesk_ticket
