// Send Request reads back each card's claim after a pause (helpers/askedMemory.ts, KEEP_TIMING: 1.5 s
// or more in n8n). Tests run the node hundreds of times in one process, where a store call takes
// well under a millisecond (test/harness/memoryDeduplicator.ts): a shorter pause keeps npm test
// fast and is still far longer than one call here, also with the lag a concurrency test sets.
import { KEEP_TIMING } from '../../nodes/XCustomerFeedback/helpers/askedMemory';

Object.assign(KEEP_TIMING, { settleMs: 150, jitterMs: 50 });
