# syntax=docker/dockerfile:1
# Multi-stage build: dependencies are cooked in their own layer (cargo-chef), the runtime image is
# distroless and runs as a non-root user. The build step is README's run command, built.

FROM rust:1.95-slim-trixie AS chef
RUN cargo install cargo-chef --version 0.1.78 --locked
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /app/recipe.json recipe.json
RUN cargo chef cook --release --locked --recipe-path recipe.json
COPY . .
RUN cargo build --release --locked --bin leitmotif

FROM gcr.io/distroless/cc-debian13:nonroot
COPY --from=builder /app/target/release/leitmotif /usr/local/bin/leitmotif
COPY --from=builder /app/knowledge /app/knowledge
# /data exists owned by the runtime user (distroless has no shell to mkdir), so a new volume
# mounted there is writable; the bot writes only under it.
COPY --from=builder --chown=65532:65532 /app/.dockerignore /data/.keep
ENV LEITMOTIF_KNOWLEDGE_DIR=/app/knowledge \
    LEITMOTIF_DATA_DIR=/data \
    RUST_LOG=warn,leitmotif=info
VOLUME ["/data"]
USER 65532:65532
# The binary is PID 1 and handles SIGTERM itself: the gateway connection closes cleanly.
ENTRYPOINT ["/usr/local/bin/leitmotif"]
CMD ["run"]
