import NIOCore

/// Moves bytes between one TCP connection and its ``NATSClient``: parses what arrives, runs the
/// handshake (INFO, then CONNECT + subscriptions + PING, then PONG), and hands every later
/// operation to the client.
///
/// The protocol rules live in ``NATSParser`` and the client.
final class NATSChannelHandler: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private enum Stage { case awaitingInfo, awaitingPong, ready, failed }

  private let client: NATSClient
  private let server: NATSServerAddress
  private let handshake: EventLoopPromise<Void>
  private var parser: NATSParser
  private var stage = Stage.awaitingInfo

  init(
    client: NATSClient, server: NATSServerAddress, handshake: EventLoopPromise<Void>,
    limits: NATSParserLimits
  ) {
    self.client = client
    self.server = server
    self.handshake = handshake
    self.parser = NATSParser(limits: limits)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    parser.append(unwrapInboundIn(data))
    do {
      while stage != .failed, let operation = try parser.next() {
        handle(operation, context: context)
      }
    } catch {
      client.protocolError(error)
      fail(.serverError(error.description), context: context)
    }
  }

  private func handle(_ operation: NATSServerOperation, context: ChannelHandlerContext) {
    switch (stage, operation) {
    case (_, .ping):
      var pong = context.channel.allocator.buffer(capacity: 6)
      pong.writeStaticString("PONG\r\n")
      context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
    case (.awaitingInfo, .info(let info)):
      stage = .awaitingPong
      if let opening = client.beginHandshake(info: info, server: server, channel: context.channel) {
        context.writeAndFlush(wrapOutboundOut(opening), promise: nil)
      }
    case (.awaitingInfo, _):
      fail(.serverError("expected INFO first"), context: context)
    case (.awaitingPong, .pong):
      stage = .ready
      client.completeHandshake(channel: context.channel, server: server)
      handshake.succeed()
    case (.awaitingPong, .error(let text)):
      client.serverError(text)
      fail(.serverError(text), context: context)
    case (.awaitingPong, .info(let info)):
      client.updateInfo(info)
    case (.awaitingPong, _):
      break
    case (.ready, .message(let message)):
      client.deliver(message)
    case (.ready, .pong):
      client.pongReceived()
    case (.ready, .info(let info)):
      client.updateInfo(info)
    case (.ready, .error(let text)):
      client.serverError(text)  // the server closes the connection after most errors
    case (.ready, .ok):
      break
    case (.failed, _):
      break
    }
  }

  private func fail(_ error: NATSClientError, context: ChannelHandlerContext) {
    if stage != .ready { handshake.fail(error) }
    stage = .failed
    context.close(promise: nil)
  }

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    if context.channel.isWritable { client.writePending() }
    context.fireChannelWritabilityChanged()
  }

  func channelInactive(context: ChannelHandlerContext) {
    if stage != .ready && stage != .failed { handshake.fail(NATSClientError.connectionLost) }
    let wasReady = stage == .ready
    stage = .failed
    client.connectionLost(channel: context.channel, wasReady: wasReady)
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    fail(.connectionLost, context: context)
  }
}
