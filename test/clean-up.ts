// Jest runs this file before each test file (setupFilesAfterEnv). Its afterAll
// runs before the test file's own, so everything a test file must undo (daemons,
// temp folders) is registered with onCleanup instead and undone here, in order.
import { cleanUp } from '../harness/temp';

afterAll(() => cleanUp());
