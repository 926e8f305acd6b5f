//! The "+" membership: the plan page, the reader's own subscription ("Langganan saya") with
//! cancel, payment notifications from Midtrans and Stripe (verified exactly as each documents),
//! and the admin's plans and manual grants at `/redaksi/langganan`.

use askama::Template;
use axum::{
    Form, Json, Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use warta_core::{
    FieldError,
    account::Action,
    i18n::Language,
    membership::{self, MidtransNotice, PlanEdit, rupiah},
};
use warta_store::{accounts, membership as store};

use crate::{
    AppError, AppState,
    pages::{self, Chrome, Meta},
    routes::newsroom::permitted,
    session::{self, Viewer},
    stripe,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/langganan", get(plans_page))
        .route("/langganan/bayar", post(checkout))
        .route("/langganan/midtrans", post(midtrans))
        .route("/langganan/stripe", post(stripe))
        .route("/akun/langganan", get(mine).post(cancel))
        .route("/redaksi/langganan", get(admin_page).post(admin_change))
}

/// A plan as pages show it.
struct PlanView {
    id: i64,
    name: String,
    price: String,
    period: &'static str,
}

fn plan_view(plan: &store::Plan, language: Language) -> PlanView {
    PlanView {
        id: plan.id,
        name: plan.name.clone(),
        price: rupiah(plan.price_idr),
        period: language.catalog().membership.period(plan.period()),
    }
}

/// The membership's name as readers see it: "Warta+".
fn plus(state: &AppState) -> String {
    format!("{}+", state.site().name)
}

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    chrome: Chrome,
    meta: Meta,
    plans: Vec<PlanView>,
    csrf: Option<String>,
    member_until: Option<String>,
    payments_ready: bool,
    plus: String,
}

async fn plans_page(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let mut conn = state.conn().await?;
    let plans = store::plans(&mut conn, true).await?;
    let member_until = match &viewer.user {
        Some(user) => store::membership(&mut conn, user.id)
            .await?
            .filter(|m| m.active(Utc::now()))
            .map(|m| stamp(&state, m.until)),
        None => None,
    };
    drop(conn);
    let page = PlansPage {
        chrome: Chrome::new(&state, &viewer, None).with_forms(),
        meta: pages::private_meta(&state, words(&state).plans_page_title),
        plans: plans
            .iter()
            .map(|p| plan_view(p, state.site().language))
            .collect(),
        csrf: viewer.csrf(),
        member_until,
        payments_ready: provider(&state).is_some(),
        plus: plus(&state),
    };
    pages::private(StatusCode::OK, &page)
}

/// Which provider takes payments: Stripe when its keys are set, else Midtrans when its key is.
fn provider(state: &AppState) -> Option<&'static str> {
    let config = &state.config;
    if config.stripe_secret_key.is_some() && config.stripe_webhook_secret.is_some() {
        Some("stripe")
    } else if config.midtrans_server_key.is_some() {
        Some("midtrans")
    } else {
        None
    }
}

fn stamp(state: &AppState, seconds: i64) -> String {
    state
        .site()
        .zone
        .stamp(DateTime::from_timestamp(seconds, 0).unwrap_or_default())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CheckoutForm {
    csrf: String,
    plan_id: i64,
}

/// Checkout: records the order, asks the provider for its payment page and sends the reader
/// there. Without a provider's keys the page says payments are not set up (an admin can still
/// grant memberships by hand).
async fn checkout(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<CheckoutForm>,
) -> Result<Response, AppError> {
    let user = viewer.require("/langganan")?.clone();
    session::check_csrf(&headers, &viewer, &form.csrf)?;
    let plan = store::plan(&mut *state.conn().await?, form.plan_id)
        .await?
        .filter(|p| p.active == 1)
        .ok_or(AppError::NotFound)?;
    let unavailable = |state: &AppState, message: Option<&str>| {
        if let Some(message) = message {
            tracing::warn!(message, "checkout failed at the provider");
        }
        let page = PlansPage {
            chrome: Chrome::new(state, &viewer, None).with_forms(),
            meta: pages::private_meta(state, words(state).plans_page_title),
            plans: vec![plan_view(&plan, state.site().language)],
            csrf: viewer.csrf(),
            member_until: None,
            payments_ready: false,
            plus: plus(state),
        };
        pages::private(StatusCode::SERVICE_UNAVAILABLE, &page)
    };
    let Some(provider) = provider(&state) else {
        return unavailable(&state, None);
    };
    let order = store::Payment {
        order_id: format!("WRT-{}", &warta_core::secret::token()[..24]),
        user_id: user.id,
        plan_id: plan.id,
        amount_idr: plan.price_idr,
        provider: provider.to_owned(),
        status: "pending".into(),
    };
    store::create_payment(&mut *state.conn().await?, &order, Utc::now()).await?;
    let base = state.site().base_url.clone();
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(15))
        .build()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let redirect = match provider {
        "stripe" => {
            let key = state.config.stripe_secret_key.clone().unwrap_or_default();
            let amount = (plan.price_idr * 100).to_string();
            let interval = match plan.period() {
                warta_core::membership::Period::Monthly => "month",
                warta_core::membership::Period::Yearly => "year",
            };
            client
                .post(format!(
                    "{}/v1/checkout/sessions",
                    state.config.stripe_api_url
                ))
                .basic_auth(key, None::<&str>)
                .form(&[
                    // A subscription: Stripe charges every period and says so with invoice.paid.
                    ("mode", "subscription"),
                    (
                        "subscription_data[metadata][order_id]",
                        order.order_id.as_str(),
                    ),
                    ("line_items[0][price_data][recurring][interval]", interval),
                    ("client_reference_id", order.order_id.as_str()),
                    ("customer_email", user.email.as_str()),
                    ("success_url", &format!("{base}/akun/langganan")),
                    ("cancel_url", &format!("{base}/langganan")),
                    ("line_items[0][quantity]", "1"),
                    ("line_items[0][price_data][currency]", "idr"),
                    ("line_items[0][price_data][unit_amount]", amount.as_str()),
                    (
                        "line_items[0][price_data][product_data][name]",
                        plan.name.as_str(),
                    ),
                ])
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .map(|r| r.json::<serde_json::Value>())
        }
        _ => {
            let key = state.config.midtrans_server_key.clone().unwrap_or_default();
            client
                .post(&state.config.midtrans_snap_url)
                .basic_auth(key, Some(""))
                .json(&serde_json::json!({
                    "transaction_details": {"order_id": order.order_id, "gross_amount": plan.price_idr},
                    "customer_details": {"email": user.email, "first_name": user.name},
                    "item_details": [{"id": plan.id.to_string(), "price": plan.price_idr, "quantity": 1, "name": plan.name}],
                    "callbacks": {"finish": format!("{base}/akun/langganan")},
                }))
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .map(|r| r.json::<serde_json::Value>())
        }
    };
    let answer = match redirect {
        Ok(json) => json.await.ok(),
        Err(error) => {
            return unavailable(&state, Some(&error.to_string()));
        }
    };
    let url = answer.as_ref().and_then(|json| {
        json.get("url")
            .or_else(|| json.get("redirect_url"))
            .and_then(|u| u.as_str())
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .map(str::to_owned)
    });
    match url {
        Some(url) => {
            tracing::info!(order = %order.order_id, provider, "checkout started");
            Ok(Redirect::to(&url).into_response())
        }
        None => unavailable(&state, Some("no payment page in the provider's answer")),
    }
}

/// A Midtrans HTTP notification (only the fields Warta reads).
#[derive(Debug, Deserialize)]
struct MidtransBody {
    order_id: String,
    status_code: String,
    gross_amount: String,
    signature_key: String,
    transaction_status: String,
    #[serde(default)]
    fraud_status: Option<String>,
}

/// `POST /langganan/midtrans`: verified by `signature_key`, the amount checked against the
/// order, idempotent when Midtrans repeats itself.
async fn midtrans(
    State(state): State<AppState>,
    Json(body): Json<MidtransBody>,
) -> Result<Response, AppError> {
    let Some(server_key) = state.config.midtrans_server_key.clone() else {
        return Err(AppError::NotFound);
    };
    let payment = store::payment(&mut *state.conn().await?, &body.order_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let notice = MidtransNotice {
        order_id: &body.order_id,
        status_code: &body.status_code,
        gross_amount: &body.gross_amount,
        signature_key: &body.signature_key,
    };
    if let Err(refusal) = membership::verify_midtrans(&notice, &server_key, payment.amount_idr) {
        tracing::warn!(order = %body.order_id, %refusal, "Midtrans notification refused");
        return Ok((StatusCode::BAD_REQUEST, refusal.to_string()).into_response());
    }
    let paid = match body.transaction_status.as_str() {
        "settlement" => true,
        "capture" => body.fraud_status.as_deref().is_none_or(|f| f == "accept"),
        _ => false,
    };
    settle(&state, &body.order_id, paid, &body.transaction_status).await
}

/// `POST /langganan/stripe`: verified by the `Stripe-Signature` header over the raw body with
/// the timestamp tolerance; `checkout.session.completed` pays the order in
/// `client_reference_id` when its amount matches.
async fn stripe(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let Some(secret) = state.config.stripe_webhook_secret.clone() else {
        return Err(AppError::NotFound);
    };
    let header = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Err(refusal) = membership::verify_stripe(
        header,
        &body,
        &secret,
        Utc::now(),
        membership::STRIPE_TOLERANCE_SECONDS,
    ) {
        tracing::warn!(%refusal, "Stripe webhook refused");
        return Ok((StatusCode::BAD_REQUEST, refusal.to_string()).into_response());
    }
    let event: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|e| AppError::BadRequest(format!("body: not JSON: {e}")))?;
    match event["type"].as_str() {
        Some("checkout.session.completed") => {}
        Some("invoice.paid") => return stripe_renewal(&state, &event["data"]["object"]).await,
        Some("customer.subscription.deleted") => {
            let subscription = event["data"]["object"]["id"].as_str().unwrap_or_default();
            let mut conn = state.conn().await?;
            if let Some((user, _)) = store::by_subscription(&mut conn, subscription).await? {
                store::subscription_ended(&mut conn, user, Utc::now()).await?;
            }
            return Ok(StatusCode::OK.into_response());
        }
        _ => return Ok(StatusCode::OK.into_response()),
    }
    let session = &event["data"]["object"];
    let order_id = session["client_reference_id"].as_str().unwrap_or_default();
    let payment = store::payment(&mut *state.conn().await?, order_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Stripe counts rupiah in hundredths.
    if session["amount_total"].as_i64() != Some(payment.amount_idr * 100) {
        tracing::warn!(order = order_id, "Stripe amount does not match the order");
        return Ok((
            StatusCode::BAD_REQUEST,
            "the amount does not match the order",
        )
            .into_response());
    }
    let paid = session["payment_status"] == "paid";
    if let Some(subscription) = session["subscription"].as_str().filter(|_| paid) {
        let response = settle(&state, order_id, paid, "checkout.session.completed").await?;
        store::set_subscription(&mut *state.conn().await?, payment.user_id, subscription).await?;
        return Ok(response);
    }
    settle(&state, order_id, paid, "checkout.session.completed").await
}

/// A subscription's renewal (`invoice.paid` for a later period): the invoice becomes a payment
/// of the member's plan, checked by amount, recorded once however often Stripe repeats it.
async fn stripe_renewal(
    state: &AppState,
    invoice: &serde_json::Value,
) -> Result<Response, AppError> {
    if invoice["billing_reason"] != "subscription_cycle" {
        // The first invoice is paid through checkout.session.completed.
        return Ok(StatusCode::OK.into_response());
    }
    let subscription = invoice["subscription"].as_str().unwrap_or_default();
    let invoice_id = invoice["id"].as_str().unwrap_or_default();
    let mut conn = state.conn().await?;
    let Some((user_id, Some(plan_id))) = store::by_subscription(&mut conn, subscription).await?
    else {
        return Err(AppError::NotFound);
    };
    let plan = store::plan(&mut conn, plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if invoice["amount_paid"].as_i64() != Some(plan.price_idr * 100) {
        tracing::warn!(
            invoice = invoice_id,
            "Stripe renewal amount does not match the plan"
        );
        return Ok((
            StatusCode::BAD_REQUEST,
            "the amount does not match the plan",
        )
            .into_response());
    }
    if store::payment(&mut conn, invoice_id).await?.is_none() {
        let payment = store::Payment {
            order_id: invoice_id.to_owned(),
            user_id,
            plan_id,
            amount_idr: plan.price_idr,
            provider: "stripe".into(),
            status: "pending".into(),
        };
        store::create_payment(&mut conn, &payment, Utc::now()).await?;
    }
    drop(conn);
    settle(state, invoice_id, true, "invoice.paid").await
}

/// Records a verified notification: paid extends the membership once; failures are noted.
async fn settle(
    state: &AppState,
    order_id: &str,
    paid: bool,
    status: &str,
) -> Result<Response, AppError> {
    let now = Utc::now();
    let mut tx = state.begin().await?;
    if paid {
        let recorded = store::record_paid(&mut tx, order_id, now).await?;
        tracing::info!(order = order_id, recorded, "payment notification");
    } else if matches!(status, "deny" | "cancel" | "expire" | "failure") {
        store::record_failed(&mut tx, order_id).await?;
    }
    tx.commit().await?;
    Ok(StatusCode::OK.into_response())
}

#[derive(Template)]
#[template(path = "my-membership.html")]
struct MinePage {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    until: Option<String>,
    renews: bool,
    source: String,
    plus: String,
}

async fn mine(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let user = viewer.require("/akun/langganan")?;
    let current = store::membership(&mut *state.conn().await?, user.id)
        .await?
        .filter(|m| m.active(Utc::now()));
    let (csrf, _) = session::csrf_token(&headers, &viewer);
    let page = MinePage {
        chrome: Chrome::new(&state, &viewer, None).with_forms(),
        meta: pages::private_meta(&state, words(&state).mine),
        csrf,
        until: current.as_ref().map(|m| stamp(&state, m.until)),
        renews: current.as_ref().is_some_and(|m| m.renews == 1),
        source: current.map(|m| m.source).unwrap_or_default(),
        plus: plus(&state),
    };
    pages::private(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CsrfOnly {
    csrf: String,
}

async fn cancel(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    let user = viewer.require("/akun/langganan")?;
    session::check_csrf(&headers, &viewer, &form.csrf)?;
    // A Stripe subscription stops charging at the end of the paid period.
    let subscription = store::subscription_of(&mut *state.conn().await?, user.id).await?;
    if let Some(subscription) = subscription {
        stripe::stop(&state.config, &subscription, stripe::Stop::AtPeriodEnd)
            .await
            .map_err(AppError::Internal)?;
    }
    store::cancel_renewal(&mut *state.conn().await?, user.id, Utc::now()).await?;
    Ok(Redirect::to("/akun/langganan").into_response())
}

#[derive(Template)]
#[template(path = "memberships.html")]
struct AdminPage {
    chrome: Chrome,
    meta: Meta,
    csrf: String,
    errors: Vec<String>,
    typed: AdminForm,
    plans: Vec<PlanView>,
    /// (email, name, until, renews)
    members: Vec<(String, String, String, bool)>,
}

async fn render_admin(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    typed: Option<AdminForm>,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let now = Utc::now();
    let mut conn = state.conn().await?;
    let plans = store::plans(&mut conn, true).await?;
    let members = store::members(&mut conn, now).await?;
    drop(conn);
    let (csrf, _) = session::csrf_token(headers, viewer);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AdminPage {
        chrome: Chrome::new(state, viewer, None).with_forms(),
        meta: pages::private_meta(state, "Keanggotaan"),
        csrf,
        errors: crate::views::desk_errors(
            &errors,
            &[
                ("name", "Nama paket"),
                ("price", "Harga"),
                ("period", "Periode"),
                ("email", "Surel pembaca"),
                ("until", "Sampai tanggal"),
            ],
        ),
        // The forms as typed when one was refused; a new plan is named after the site.
        typed: typed.unwrap_or_else(|| AdminForm {
            name: plus(state),
            ..AdminForm::default()
        }),
        // The admin's page, in the newsroom's Indonesian.
        plans: plans.iter().map(|p| plan_view(p, Language::Id)).collect(),
        members: members
            .into_iter()
            .map(|(email, name, until, renews)| (email, name, stamp(state, until), renews == 1))
            .collect(),
    };
    pages::private(status, &page)
}

fn admin(viewer: &Viewer) -> Result<(), AppError> {
    permitted(
        viewer,
        "/redaksi/langganan",
        Action::ManageSite,
        "Paket dan keanggotaan dikelola oleh admin.",
    )
    .map(|_| ())
}

async fn admin_page(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    admin(&viewer)?;
    render_admin(&state, &viewer, &headers, None, Vec::new()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AdminForm {
    csrf: String,
    /// plan, retire, grant or revoke.
    action: String,
    id: String,
    name: String,
    price: String,
    period: String,
    email: String,
    until: String,
}

async fn admin_change(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<AdminForm>,
) -> Result<Response, AppError> {
    admin(&viewer)?;
    session::check_csrf(&headers, &viewer, &form.csrf)?;
    let now = Utc::now();
    let mut tx = state.begin().await?;
    let outcome: Result<(), Vec<FieldError>> = match form.action.as_str() {
        "plan" => match PlanEdit::parse(&form.name, &form.price, &form.period) {
            Ok(edit) => {
                store::create_plan(&mut tx, &edit, now).await?;
                Ok(())
            }
            Err(errors) => Err(errors),
        },
        "retire" => {
            let id = form.id.trim().parse().map_err(|_| {
                AppError::BadRequest(format!("id: expected a number, got {:?}", form.id))
            })?;
            store::retire_plan(&mut tx, id).await?;
            Ok(())
        }
        "grant" | "revoke" => {
            let email = form.email.trim().to_lowercase();
            match accounts::by_email(&mut tx, &email).await? {
                None => Err(vec![FieldError::new(
                    "email",
                    format!("tidak ada akun dengan alamat {email:?}"),
                    format!("no account has the address {email:?}"),
                )]),
                Some(user) if form.action == "revoke" => {
                    // Stripe stops charging first: a revoke that left the subscription
                    // running would keep billing a reader who is no longer a member.
                    match stop_subscription(&state, &mut tx, user.id).await? {
                        Ok(()) => {
                            store::revoke(&mut tx, user.id, now).await?;
                            Ok(())
                        }
                        Err(refused) => Err(vec![FieldError::new(
                            "email",
                            format!("langganan tidak dihentikan di Stripe: {refused}"),
                            format!("the subscription was not stopped at Stripe: {refused}"),
                        )]),
                    }
                }
                Some(user) => match until_end_of(&form.until, &state) {
                    Some(until) if until > now => {
                        store::grant(&mut tx, user.id, until, now).await?;
                        Ok(())
                    }
                    _ => Err(vec![FieldError::new(
                        "until",
                        "tanggal yang akan datang seperti 2027-12-31",
                        "a future date like 2027-12-31",
                    )]),
                },
            }
        }
        other => {
            return Err(AppError::BadRequest(format!(
                "action: expected plan, retire, grant or revoke, got {other:?}"
            )));
        }
    };
    match outcome {
        Ok(()) => {
            tx.commit().await?;
            state.refresh().await?;
            Ok(Redirect::to("/redaksi/langganan").into_response())
        }
        Err(errors) => {
            drop(tx);
            render_admin(&state, &viewer, &headers, Some(form), errors).await
        }
    }
}

/// Stops the member's Stripe subscription at once, if they have one. A subscription that
/// cannot be stopped here (no Stripe key is set) is logged and left to Stripe's dashboard.
async fn stop_subscription(
    state: &AppState,
    conn: &mut warta_store::Connection,
    user_id: i64,
) -> Result<Result<(), String>, AppError> {
    let Some(subscription) = store::subscription_of(conn, user_id).await? else {
        return Ok(Ok(()));
    };
    Ok(
        match stripe::stop(&state.config, &subscription, stripe::Stop::Now).await {
            Ok(true) => Ok(()),
            Ok(false) => {
                tracing::warn!(
                    subscription,
                    "no Stripe key is set: stop this subscription in Stripe's dashboard"
                );
                Ok(())
            }
            Err(refused) => Err(refused),
        },
    )
}

/// The end of `date` (YYYY-MM-DD) in the site's zone.
fn until_end_of(date: &str, state: &AppState) -> Option<DateTime<Utc>> {
    let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    let local = day.and_hms_opt(23, 59, 59)?;
    use chrono::TimeZone;
    state
        .site()
        .zone
        .offset()
        .from_local_datetime(&local)
        .single()
        .map(|at| at.with_timezone(&Utc))
}

/// The membership words in the site's language.
fn words(state: &AppState) -> &'static warta_core::i18n::MembershipWords {
    state.site().language.catalog().membership
}
