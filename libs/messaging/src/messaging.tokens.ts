/** DI tokens of @app/messaging. */
export const MESSAGE_PUBLISHER = Symbol('MESSAGE_PUBLISHER');
export const KAFKA_RELAY = Symbol('KAFKA_RELAY');
