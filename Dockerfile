FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
COPY factcheck ./factcheck
COPY articles ./articles
COPY claims ./claims
RUN pip install .
COPY . .
RUN DEBUG=1 python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 factcheck && chown -R factcheck /app
USER factcheck
EXPOSE 8000
CMD ["gunicorn", "factcheck.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
