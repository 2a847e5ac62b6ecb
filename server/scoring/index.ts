export { score, scorePrepared, prepareScoring, bootstrapReplicates, indicatorValue, normalise, shareRanks, tierOf, type ScoringInput, type ScoringResult, type UnitScore, type UnitKind, type BootstrapDraws, type PreparedScoring } from './engine.js';
export { stratifiedMean, normalQuantile } from './estimate.js';
export { seededRandom, seedFromText, replicateStreams, type Random, type ReplicateStreams } from './random.js';
export { MICRODATA_FORMAT, canonicalJson, sortResponses, scoringInputOf, scoreMicrodata, type Microdata } from './microdata.js';
export { scoreMicrodataInParallel } from './parallel.js';
