"""The EEG report: a pure-data model of every page (``model``), built from a recording and
its session (``build``), anonymised on request (``anonymise``); ``app.ui.report`` draws it."""
