/**
 * The remote address of each MQTT transport, noted when the connection is accepted (after any
 * PROXY protocol header) and read by the login check, which aedes gives only the client.
 */
const addresses = new WeakMap<object, string>();

export const ConnectionAddresses = {
  note(transport: object, address: string): void {
    addresses.set(transport, address);
  },
  of(transport: object): string {
    return addresses.get(transport) ?? 'unknown';
  },
};
