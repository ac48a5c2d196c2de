// Jest runs this file before each test file (setupFilesAfterEnv): the temp
// folders a test file made are removed when it ends.
import { removeTempDirs } from './util';

afterAll(() => removeTempDirs());
