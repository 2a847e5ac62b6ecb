export { score, indicatorValue, normalise, shareRanks, tierOf, type ScoringInput, type ScoringResult, type UnitScore, type UnitKind } from './engine.js';
export { stratifiedMean, normalQuantile } from './estimate.js';
export { seededRandom, seedFromText, type Random } from './random.js';
export { MICRODATA_FORMAT, canonicalJson, sortResponses, scoringInputOf, type Microdata } from './microdata.js';
