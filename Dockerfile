# The production image: one image for web (gunicorn), ws (uvicorn) and worker processes.

# Front-end packages from the npm registry (package-lock.json) and the built stylesheet.
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/scss frontend/scss
RUN npm run --silent build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY . .
COPY --from=assets /app/node_modules node_modules
COPY --from=assets /app/frontend/static/build frontend/static/build
# Static files are collected at build time and served by WhiteNoise from the web process.
RUN DEBUG=0 SECRET_KEY=build-only python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 brokerage
USER brokerage
EXPOSE 8000
CMD ["gunicorn", "brokerage.config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", \
     "--forwarded-allow-ips", "*"]
