//! A small HTTP service with the dependencies a real one has.
use axum::{routing::get, Json, Router};
use clap::Parser;
use serde::Serialize;

#[derive(Parser)]
struct Args {
    /// Print the version and exit.
    #[arg(long)]
    version: bool,
    /// Address to listen on.
    #[arg(long, env = "LISTEN", default_value = "0.0.0.0:8080")]
    listen: String,
}

#[derive(Serialize)]
struct Health {
    id: uuid::Uuid,
    at: chrono::DateTime<chrono::Utc>,
    digest: String,
}

async fn health() -> Json<Health> {
    use sha2::Digest;
    let digest = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, sha2::Sha256::digest(b"ok"));
    Json(Health { id: uuid::Uuid::new_v4(), at: chrono::Utc::now(), digest })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.version {
        println!("bench-service {} (rustls {})", env!("CARGO_PKG_VERSION"), regex::Regex::new(r"^\d+$")?.is_match("23"));
        let _ = rustls::crypto::ring::default_provider();
        return Ok(());
    }
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    let app = Router::new().route("/health", get(health)).layer(tower_http::trace::TraceLayer::new_for_http());
    let listener = tokio::net::TcpListener::bind(&args.listen).await?;
    tracing::info!(listen = %args.listen, "serving");
    axum::serve(listener, app).await?;
    Ok(())
}
