import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';

/** device_sessions: which node holds each connected device (clustered mode only). */
@Injectable()
export class DeviceSessionRepository {
  constructor(private readonly database: Database) {}

  /** The newest connection wins: a reconnect to another node replaces the row. */
  async connected(deviceId: string, nodeId: string, at: number): Promise<void> {
    await this.database.db
      .insertInto('device_sessions')
      .values({ device_id: deviceId, node_id: nodeId, connected_at: new Date(at) })
      .onConflict((oc) =>
        oc
          .column('device_id')
          .doUpdateSet({ node_id: nodeId, connected_at: new Date(at) })
          .where('device_sessions.connected_at', '<=', new Date(at)),
      )
      .execute();
  }

  /**
   * Removes the row only while it still names this connection: not a newer one of the device,
   * here (a session takeover) or on another node.
   */
  async disconnected(deviceId: string, nodeId: string, connectedAt: number): Promise<void> {
    await this.database.db
      .deleteFrom('device_sessions')
      .where('device_id', '=', deviceId)
      .where('node_id', '=', nodeId)
      .where('connected_at', '<=', new Date(connectedAt))
      .execute();
  }

  /** A node starting holds no connection yet: rows a crash left behind go. */
  async clearNode(nodeId: string): Promise<void> {
    await this.database.db.deleteFrom('device_sessions').where('node_id', '=', nodeId).execute();
  }

  async nodeOf(deviceId: string): Promise<string | null> {
    const row = await this.database.db
      .selectFrom('device_sessions')
      .select('node_id')
      .where('device_id', '=', deviceId)
      .executeTakeFirst();
    return row?.node_id ?? null;
  }
}
