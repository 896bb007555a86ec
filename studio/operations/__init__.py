"""Operations: what an operator needs to see that an installation is healthy and to keep it so.

The health endpoint (`health`), request and job ids in the logs (`logs`), and the admin's view of
the task queues with retry for failed jobs (`queues`, `views`). An app of its own so that its
admin hooks and templates are found like any app's.
"""
