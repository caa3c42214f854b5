"""The domain core of service_control.

Plain Python: nothing here imports frappe or erpnext, so every rule can be tested without a
site. Controllers, hooks, scheduler jobs and reports load records, call these functions and
persist what they return.
"""
