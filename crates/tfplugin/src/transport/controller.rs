//! go-plugin's `GRPCController`: Terraform calls `Shutdown` when it is done
//! with a provider instance and kills the process 2 s later, so the reply
//! triggers an immediate, clean exit.

use crate::protocol::proto::plugin::Empty;
use crate::protocol::proto::plugin::grpc_controller_server::GrpcController;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

pub struct Controller {
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _req: Request<Empty>) -> Result<Response<Empty>, Status> {
        tracing::debug!("Shutdown requested by Terraform");
        self.shutdown.cancel();
        Ok(Response::new(Empty {}))
    }
}
