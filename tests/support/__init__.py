"""What the tests share, one concern a module (imported as ``tests.support.<module>``).

- ``app``: the App as the tests build it (the ``make_app`` fixture calls it) and ``notified(app)``
- ``tui``: the terminal's text, Pilot steps as a person would take them, and one widget on its own
  (``Harness``)
- ``files``: the couple's file and the local file as they are on disk
- ``machines``: letting a second machine into a sealed notebook
- ``practices``: the practices' fixed today and each practice filled in (``fill_<name>``, and
  ``fill_calm`` for the calm-down screen)
- ``today``: the fixed today of the other sections' tests (the dashboard, the log, check-ins, the
  weekly talk, suggestions, news, the dialogs) and ``days_ago``
- ``records``: records made by hand for the domain's pure rules, on that today
- ``serve``: a real ``kintsugi serve`` for a test, and reading it
- ``words``: what the CLI and the app say of a merge report or a copy left alone (``describe``)
"""
