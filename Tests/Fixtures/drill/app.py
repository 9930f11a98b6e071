"""A chatbot backend as the seeds run it, for the fault drills: FastAPI instrumented with
prometheus-fastapi-instrumentator, LLM counters, health endpoints that check Redis and PostgreSQL,
and a /control endpoint through which a drill makes it fail, slow, unready or spend.

Run: uvicorn app:app --port PORT, with REDIS_ADDRESS and POSTGRES_ADDRESS as host:port.
"""

import asyncio
import os
import random
import socket

from fastapi import FastAPI, Response
from prometheus_client import Counter
from prometheus_fastapi_instrumentator import Instrumentator

app = FastAPI()
settings = {"error_ratio": 0.0, "delay": 0.0, "ready": True}

LLM_COST = Counter("llm_cost_usd", "Money spent on LLM calls.", ["model", "provider"])
LLM_TOKENS = Counter("llm_tokens", "Tokens used by LLM calls.", ["model", "provider", "type"])
LLM_REQUESTS = Counter("llm_requests", "LLM calls.", ["model", "provider"])
LLM_CACHE_HITS = Counter("llm_cache_hits", "LLM calls answered from the cache.", ["model", "provider"])
LLM_ERRORS = Counter("llm_errors", "Failed LLM calls.", ["model", "provider"])


def reachable(address):
    if not address:
        return True
    host, port = address.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=0.5):
            return True
    except OSError:
        return False


@app.get("/chat")
async def chat(response: Response):
    if settings["delay"] > 0:
        await asyncio.sleep(settings["delay"])
    labels = {"model": "gpt-4o-mini", "provider": "openai"}
    LLM_REQUESTS.labels(**labels).inc()
    LLM_TOKENS.labels(type="prompt", **labels).inc(120)
    LLM_TOKENS.labels(type="completion", **labels).inc(40)
    LLM_TOKENS.labels(type="cached", **labels).inc(80)
    LLM_CACHE_HITS.labels(**labels).inc(1 if random.random() < 0.5 else 0)
    LLM_COST.labels(**labels).inc(0.0002)
    if random.random() < settings["error_ratio"]:
        LLM_ERRORS.labels(**labels).inc()
        response.status_code = 500
        return {"error": "the model call failed"}
    return {"answer": "hello"}


@app.get("/health")
@app.get("/health/live")
async def live():
    return {"status": "pass"}


@app.get("/health/ready")
async def ready(response: Response):
    ok = settings["ready"] and reachable(os.environ.get("REDIS_ADDRESS")) and reachable(os.environ.get("POSTGRES_ADDRESS"))
    if not ok:
        response.status_code = 503
    return {"status": "pass" if ok else "fail"}


@app.post("/control")
async def control(error_ratio: float | None = None, delay: float | None = None, ready: bool | None = None, spend: float | None = None):
    if error_ratio is not None:
        settings["error_ratio"] = error_ratio
    if delay is not None:
        settings["delay"] = delay
    if ready is not None:
        settings["ready"] = ready
    if spend:
        LLM_COST.labels(model="gpt-4o-mini", provider="openai").inc(spend)
    return settings


Instrumentator().instrument(app).expose(app)
