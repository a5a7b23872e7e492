//! Routing of gRPC requests to the services the plugin serves (provider, health, controller,
//! stdio) by the service name in the path, `/<package.Service>/<Method>`. tonic's own router
//! is built on axum; this does the same small job without linking a web framework into the
//! provider binary.

use std::convert::Infallible;

use tonic::body::Body;
use tonic::codegen::{BoxFuture, Service, http};
use tonic::server::NamedService;
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;

type Request = http::Request<Body>;
type Response = http::Response<Body>;
type Boxed = BoxCloneSyncService<Request, Response, Infallible>;

/// The services of one plugin server, keyed by gRPC service name.
#[derive(Clone, Default)]
pub struct Routes {
    services: Vec<(&'static str, Boxed)>,
}

impl Routes {
    /// Adds a generated tonic server (`…Server::new(impl)`).
    pub fn with<S>(mut self, service: S) -> Self
    where
        S: Service<Request, Response = Response, Error = Infallible>
            + NamedService
            + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
    {
        self.services
            .push((S::NAME, BoxCloneSyncService::new(service)));
        self
    }

    fn find(&self, path: &str) -> Option<&Boxed> {
        let name = path.strip_prefix('/')?.split('/').next()?;
        self.services
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s)
    }
}

impl Service<Request> for Routes {
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<Response, Infallible>;

    fn poll_ready(
        &mut self,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Infallible>> {
        // Each routed service is readied in `call` (tonic's generated servers always are).
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        match self.find(req.uri().path()) {
            Some(service) => Box::pin(service.clone().oneshot(req)),
            None => {
                let status = tonic::Status::unimplemented(format!(
                    "no gRPC service for {}",
                    req.uri().path()
                ));
                Box::pin(async move { Ok(status.into_http()) })
            }
        }
    }
}

impl std::fmt::Debug for Routes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.services.iter().map(|(n, _)| n))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn unknown_services_are_unimplemented_and_known_ones_are_found() {
        let routes = Routes::default().with(tonic_health::server::health_reporter().1);
        assert!(routes.find("/grpc.health.v1.Health/Check").is_some());
        assert!(routes.find("/tfplugin5.Provider/GetSchema").is_none());
        assert!(routes.find("").is_none());
        let req = http::Request::builder()
            .uri("/nope.Service/Method")
            .body(Body::empty())
            .expect("request");
        let resp = routes.clone().oneshot(req).await.expect("infallible");
        let status = tonic::Status::from_header_map(resp.headers()).expect("grpc-status");
        assert_eq!(status.code(), tonic::Code::Unimplemented);
    }
}
