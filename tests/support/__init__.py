"""What the tests share, one concern a module (imported as ``tests.support.<module>``).

- ``app``: the App as the tests build it (the ``make_app`` fixture calls it) and ``notified(app)``
- ``tui``: the terminal's text, and Pilot steps as a person would take them
- ``files``: the couple's file and the local file as they are on disk
- ``machines``: letting a second machine into a sealed notebook
- ``awareness``, ``support``, ``journey``: a fixed today and a filled-in file for the tests of
  steps 1-3, steps 4-7 and the journey (the dashboard, the log, check-ins)
- ``serve``: a real ``kintsugi serve`` for a test, and reading it
- ``words``: what the CLI and the app say of a merge report or a copy left alone (``describe``)
"""
