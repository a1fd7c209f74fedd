import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A minimal HTTP/1.1 `GET` on SwiftNIO: one request per connection (`Connection: close`), the
/// status and a bounded body back.
///
/// `winnow watch` needs no more than this for DRP's `/api/v3/info`, and for asking the websocket
/// endpoint why an upgrade was refused.
struct HTTPGetRequest: Sendable {
  /// The answer: the status code and the body.
  struct Response: Sendable, Equatable {
    let status: Int
    let body: [UInt8]
  }

  /// Why no answer came.
  enum Failure: Error, CustomStringConvertible {
    /// Connecting, TLS, or the exchange failed.
    case transport(String)
    /// The TLS handshake failed (an unverifiable certificate, no common protocol).
    case tls(String)
    /// No complete answer within the time allowed.
    case timedOut
    /// The body was longer than allowed.
    case bodyTooLarge(Int)
    /// The connection closed before the answer was complete.
    case incomplete

    var description: String {
      switch self {
      case .transport(let message): message
      case .tls(let message): "TLS: \(message)"
      case .timedOut: "no answer in time"
      case .bodyTooLarge(let limit): "the answer is longer than \(limit) bytes"
      case .incomplete: "the connection closed before the answer was complete"
      }
    }
  }

  let endpoint: WatchEndpoint
  /// Request headers besides Host and Connection (the credential).
  let headers: [(String, String)]
  /// The TLS context, when the endpoint uses TLS.
  let sslContext: NIOSSLContext?
  var timeout: Duration = .seconds(10)
  var bodyLimit = 1 << 20

  /// Sends `GET path` and reads the answer.
  func get(_ path: String) async throws(Failure) -> Response {
    do {
      return try await withThrowingTaskGroup(of: Response?.self) { group in
        group.addTask { try await exchange(path) }
        group.addTask {
          try await Task.sleep(for: timeout)
          return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let response = first else {
          throw Failure.timedOut
        }
        return response
      }
    } catch let failure as Failure {
      throw failure
    } catch let error as NIOSSLError {
      throw .tls("\(error)")
    } catch {
      throw .transport(Self.describe(error))
    }
  }

  private func exchange(_ path: String) async throws -> Response {
    let endpoint = endpoint
    let sslContext = sslContext
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .connectTimeout(.init(timeout))
      .connect(host: endpoint.host, port: endpoint.port) { channel in
        channel.eventLoop.makeCompletedFuture {
          if let sslContext {
            // An address is not sent as SNI (nor accepted by NIOSSL there).
            let handler = try NIOSSLClientHandler(
              context: sslContext, serverHostname: endpoint.hostIsAddress ? nil : endpoint.host)
            try channel.pipeline.syncOperations.addHandler(handler)
          }
          try channel.pipeline.syncOperations.addHTTPClientHandlers()
          return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
            wrappingChannelSynchronously: channel)
        }
      }
    return try await channel.executeThenClose { inbound, outbound in
      var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
      head.headers.add(name: "Host", value: endpoint.authority)
      head.headers.add(name: "User-Agent", value: "winnow-watch")
      head.headers.add(name: "Accept", value: "application/json")
      head.headers.add(name: "Connection", value: "close")
      for (name, value) in headers { head.headers.add(name: name, value: value) }
      try await outbound.write(.head(head))
      try await outbound.write(.end(nil))

      var status = 0
      var body: [UInt8] = []
      for try await part in inbound {
        switch part {
        case .head(let response):
          status = Int(response.status.code)
        case .body(let buffer):
          guard body.count + buffer.readableBytes <= bodyLimit else {
            throw Failure.bodyTooLarge(bodyLimit)
          }
          body.append(contentsOf: buffer.readableBytesView)
        case .end:
          return Response(status: status, body: body)
        }
      }
      throw Failure.incomplete
    }
  }

  /// A short description of a NIO error for messages.
  static func describe(_ error: any Error) -> String {
    if let connection = error as? NIOConnectionError, let first = connection.connectionErrors.first
    {
      return "cannot connect: \(first.error)"
    }
    return "\(error)"
  }
}
