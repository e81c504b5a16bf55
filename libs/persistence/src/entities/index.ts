import { AuditEventEntity } from './audit-event.entity.js';
import { ConfigRevisionEntity } from './config-revision.entity.js';
import { RuntimeOverrideEntity } from './runtime-override.entity.js';

export const ENTITIES = [ConfigRevisionEntity, RuntimeOverrideEntity, AuditEventEntity];
