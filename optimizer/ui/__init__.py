"""What the planner sees, in one place: labels in two languages (`labels`), the app's controls
(`controls`), the session's state (`state`) and one function per tab (`tabs`).

`labels` and `controls` are plain Python (the Excel export and a notebook use them); `state`
and `tabs` import Streamlit and are for app.py only.
"""
