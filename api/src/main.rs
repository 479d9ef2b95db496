//! `api` serves HTTP; `api migrate` applies migrations; `api token create`
//! mints a token; `api seed-demo` loads demo data and prints tokens; `api
//! openapi` prints the OpenAPI document; `api portal-link` prints a web app
//! sign-in link.

use std::process::ExitCode;

use ordertrack_api::config::ApiConfig;
use ordertrack_shared::config::{load_dotenv, StoreConfig};
use ordertrack_shared::db;
use ordertrack_shared::domain::Role;
use ordertrack_shared::jobs::Enqueuer;
use ordertrack_shared::models::{ApiToken, Customer};

const USAGE: &str = "usage:
  api                      serve HTTP (PORT, default 8080)
  api migrate              apply database migrations and exit
  api token create --role customer|csr|admin|service [--customer EXTERNAL_ID] [--label TEXT]
  api seed-demo            load demo data and print a token per role
  api portal-link --customer EXTERNAL_ID [--locale en|es|ro|ru]
                           print a single-use web app sign-in link for a shopper
  api staff create --email EMAIL --role csr|admin [--name NAME]
                           create a console account and print its set-password link
  api openapi              print the OpenAPI document (JSON) and exit";

#[tokio::main]
async fn main() -> ExitCode {
    load_dotenv();
    ordertrack_shared::telemetry::init("info,ordertrack=debug");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve().await,
        Some("migrate") => migrate().await,
        Some("token") if args.get(1).map(String::as_str) == Some("create") => create_token(&args[2..]).await,
        Some("seed-demo") => seed_demo().await,
        Some("openapi") => print_openapi(),
        Some("portal-link") => portal_link(&args[1..]).await,
        Some("staff") if args.get(1).map(String::as_str) == Some("create") => create_staff(&args[2..]).await,
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command '{other}'\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), String> {
    let config = ApiConfig::from_env().map_err(|e| e.to_string())?;
    let running = ordertrack_api::start(config).map_err(|e| e.to_string())?;
    tracing::info!(port = running.port, "api listening");
    let handle = running.handle.clone();
    tokio::spawn(async move {
        ordertrack_shared::shutdown::signal().await;
        tracing::info!("shutting down: ending live streams, finishing requests");
        handle.stop().await;
    });
    running.server.await.map_err(|e| e.to_string())
}

/// The document served at `/api-docs/openapi.json`, for generating clients
/// without a running server (`scripts/web-api-types`).
fn print_openapi() -> Result<(), String> {
    use utoipa::OpenApi;
    let document = ordertrack_api::openapi::ApiDoc::openapi().to_pretty_json().map_err(|e| e.to_string())?;
    println!("{document}");
    Ok(())
}

async fn migrate() -> Result<(), String> {
    let store = StoreConfig::from_env().map_err(|e| e.to_string())?;
    let applied = db::run_migrations(&store.database_url).await.map_err(|e| e.to_string())?;
    println!("{} migration(s) applied", applied.len());
    for name in applied {
        println!("  {name}");
    }
    Ok(())
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
}

async fn create_token(args: &[String]) -> Result<(), String> {
    use diesel_async::AsyncConnection;
    let role: Role = flag(args, "--role").ok_or("--role is required")?.parse().map_err(|e| format!("--role: {e}"))?;
    let label = flag(args, "--label").unwrap_or("cli");
    let store = StoreConfig::from_env().map_err(|e| e.to_string())?;
    let mut conn = diesel_async::AsyncPgConnection::establish(&store.database_url).await.map_err(|e| e.to_string())?;
    let customer_id = match (role, flag(args, "--customer")) {
        (Role::Customer, Some(external_id)) => Some(
            Customer::find_by_external_id(&mut conn, external_id)
                .await
                .map_err(|e| format!("--customer {external_id}: {e}"))?
                .id,
        ),
        (Role::Customer, None) => return Err("a customer token needs --customer EXTERNAL_ID".into()),
        (_, Some(_)) => return Err("--customer only goes with --role customer".into()),
        (_, None) => None,
    };
    let (_, secret) = ApiToken::mint(&mut conn, role, customer_id, label, None).await.map_err(|e| e.to_string())?;
    println!("{secret}");
    Ok(())
}

/// What the storefront's `POST /api/v1/portal-sessions` gives, for the
/// demo and for support staff.
async fn portal_link(args: &[String]) -> Result<(), String> {
    use diesel_async::AsyncConnection;
    use ordertrack_shared::models::{PortalGrant, PortalLink};
    let external_id = flag(args, "--customer").ok_or("--customer is required")?;
    let config = ApiConfig::from_env().map_err(|e| e.to_string())?;
    let mut conn =
        diesel_async::AsyncPgConnection::establish(&config.store.database_url).await.map_err(|e| e.to_string())?;
    let customer = Customer::find_by_external_id(&mut conn, external_id)
        .await
        .map_err(|e| format!("--customer {external_id}: {e}"))?;
    let locale = match flag(args, "--locale") {
        Some(tag) => tag.parse().map_err(|e| format!("--locale: {e}"))?,
        None => customer.locale,
    };
    let grant = PortalGrant { customer_id: customer.id, locale, return_url: None };
    let expires_at = chrono::Utc::now() + chrono::Duration::from_std(config.portal.link_ttl).unwrap_or_default();
    let code = PortalLink::issue(&mut conn, &grant, None, expires_at).await.map_err(|e| e.to_string())?;
    println!("{}/portal/{code}", config.public_base_url.trim_end_matches('/'));
    Ok(())
}

/// The first admin of a new deployment (and any account, by hand).
async fn create_staff(args: &[String]) -> Result<(), String> {
    use diesel_async::AsyncConnection;
    use ordertrack_shared::domain::EmailAddress;
    use ordertrack_shared::models::{StaffPasswordLink, StaffUser};
    let email = EmailAddress::parse(flag(args, "--email").ok_or("--email is required")?)
        .map_err(|e| format!("--email: {e}"))?
        .into_inner();
    let role = match flag(args, "--role").ok_or("--role is required")? {
        "csr" => Role::Csr,
        "admin" => Role::Admin,
        "analyst" => Role::Analyst,
        other => return Err(format!("--role {other}: expected csr, admin or analyst")),
    };
    let name =
        flag(args, "--name").map_or_else(|| email.split('@').next().unwrap_or_default().to_owned(), str::to_owned);
    let config = ApiConfig::from_env().map_err(|e| e.to_string())?;
    let mut conn =
        diesel_async::AsyncPgConnection::establish(&config.store.database_url).await.map_err(|e| e.to_string())?;
    if StaffUser::find_by_email(&mut conn, &email).await.map_err(|e| e.to_string())?.is_some() {
        return Err(format!("{email} has an account already"));
    }
    let user = StaffUser::create(&mut conn, &email, &name, role, "cli").await.map_err(|e| e.to_string())?;
    let expires_at =
        chrono::Utc::now() + chrono::Duration::from_std(config.staff.password_link_ttl).unwrap_or_default();
    let code = StaffPasswordLink::issue(&mut conn, user.id, expires_at).await.map_err(|e| e.to_string())?;
    println!("{}/console/set-password/{code}", config.public_base_url.trim_end_matches('/'));
    Ok(())
}

async fn seed_demo() -> Result<(), String> {
    use diesel_async::AsyncConnection;
    let store = StoreConfig::from_env().map_err(|e| e.to_string())?;
    let mut conn = diesel_async::AsyncPgConnection::establish(&store.database_url).await.map_err(|e| e.to_string())?;
    let enqueuer = Enqueuer::from_store(&store, std::time::Duration::from_secs(1)).map_err(|e| e.to_string())?;
    let tokens = ordertrack_api::demo::seed(&mut conn, &enqueuer).await.map_err(|e| e.to_string())?;
    println!("demo data loaded. tokens (shown once):");
    println!("  admin:    {}", tokens.admin);
    println!("  csr:      {}", tokens.csr);
    println!("  service:  {}", tokens.service);
    println!("  customer: {}   (Ana, owns DEMO-1001 and DEMO-1002)", tokens.customer);
    let base = std::env::var("PUBLIC_BASE_URL").unwrap_or_else(|_| "http://localhost:8080".into());
    for (email, code) in &tokens.staff {
        println!("console: set the password of {email} at {}/console/set-password/{code}", base.trim_end_matches('/'));
    }
    Ok(())
}
