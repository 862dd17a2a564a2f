"""Qt glue without widgets: the background-job pattern, page loading, the settings store."""

from app.workers.qt_refcount import protect_singletons

protect_singletons()
