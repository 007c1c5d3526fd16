package engine

func cmdIncrByFloat(db *DB, args [][]byte) Reply { return ErrorReply("ERR not yet") }
