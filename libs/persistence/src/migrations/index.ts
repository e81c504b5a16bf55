import { CreateConfigRevision1795996800000 } from './1795996800000-create-config-revision.js';
import { CreateRuntimeOverride1795996800001 } from './1795996800001-create-runtime-override.js';
import { CreateAuditEvent1795996800002 } from './1795996800002-create-audit-event.js';

/** Every migration, oldest first. A schema change is always a new file appended here; never edit a shipped one. */
export const MIGRATIONS = [CreateConfigRevision1795996800000, CreateRuntimeOverride1795996800001, CreateAuditEvent1795996800002];
