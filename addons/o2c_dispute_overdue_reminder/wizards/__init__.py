from . import overdue_reminder_start
from . import overdue_reminder_step
