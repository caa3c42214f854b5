# Copyright (c) 2026, service_control contributors
# For license information, please see license.txt

"""Portal form ``/complaints``: the controller (CustomerComplaint.before_insert) sets the customer
from the logged-in user, the channel and the time; validation is the desk's. The web form needs
no context of its own, so this module defines no ``get_context``."""
