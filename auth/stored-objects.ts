/** Objects auth writes straight into the Store: the shared helpers of controller/. */
export {
  createStoredObject,
  decodeStored,
  ensureSystemNamespace,
  formatTimestamp,
  keyOf,
  resourceOfKind,
  updateStoredObject,
} from '../controller/index.js';
