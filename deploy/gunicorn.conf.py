"""gunicorn settings for the production web server: `gunicorn -c deploy/gunicorn.conf.py`.

Each value comes from the environment (README "Production"), with defaults for one small server
behind nginx on the same machine.
"""

import multiprocessing
import os

wsgi_app = "studio.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# Processes for CPU, threads for waiting: most requests are short media access checks and page
# renders that wait on the database, so a few threads per process serve them cheaply.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
worker_class = "gthread"
# A worker process that stops answering its master this long (stuck, not merely busy) is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
# Restart each process now and then, so a slow leak never grows for weeks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 2000)
max_requests_jitter = max_requests // 10
# The proxies whose X-Forwarded-* headers gunicorn believes (nginx on this machine by default).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
