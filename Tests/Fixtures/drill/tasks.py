"""Celery tasks for the fault drills, on the Redis broker at REDIS_ADDRESS."""

import os

from celery import Celery

broker = f"redis://{os.environ.get('REDIS_ADDRESS', '127.0.0.1:6379')}/0"
app = Celery("drill", broker=broker)
app.conf.worker_send_task_events = True
app.conf.task_send_sent_event = True
app.conf.broker_connection_retry_on_startup = True


@app.task(name="tasks.ok")
def ok():
    return 1


@app.task(name="tasks.fail")
def fail():
    raise RuntimeError("this task always fails")
