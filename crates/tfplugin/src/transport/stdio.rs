//! go-plugin's `GRPCStdio`: Terraform opens this stream to receive the
//! plugin's stdout/stderr. This provider logs to the real stderr (which
//! Terraform parses as hclog JSON) and never writes to stdout after the
//! handshake, so the stream carries nothing; it stays open until the plugin
//! shuts down, so Terraform's client does not log an "Unimplemented" error.

use crate::protocol::proto::plugin::StdioData;
use crate::protocol::proto::plugin::grpc_stdio_server::GrpcStdio;
use futures::{Stream, StreamExt};
use std::pin::Pin;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

pub struct Stdio {
    pub shutdown: CancellationToken,
}

type StdioStream = Pin<Box<dyn Stream<Item = Result<StdioData, Status>> + Send>>;

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    type StreamStdioStream = StdioStream;

    async fn stream_stdio(&self, _req: Request<()>) -> Result<Response<StdioStream>, Status> {
        let shutdown = self.shutdown.clone();
        let stream = futures::stream::once(async move { shutdown.cancelled_owned().await })
            .filter_map(|()| async { None::<Result<StdioData, Status>> });
        Ok(Response::new(Box::pin(stream)))
    }
}
